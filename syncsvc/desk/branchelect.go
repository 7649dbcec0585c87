package desk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// ErrNoSecretary: an election's list names no secretary.
var ErrNoSecretary = errors.New("the election names no secretary")

// ErrPostLeftOut: a post elected on the day of an election entered again is
// missing from the new list, and a post cannot end on the day it began.
var ErrPostLeftOut = errors.New("a post elected that day is left out of the list")

// OmittedPostError is ErrPostLeftOut with the post concerned.
type OmittedPostError struct {
	// Branch is the branch of the election.
	Branch branch.Branch
	// Post is the post elected that day that the list leaves out.
	Post branch.Post
	// Holder is the post's holder.
	Holder MemberRef
}

// Error says what was refused and why.
func (e *OmittedPostError) Error() string {
	return fmt.Sprintf("%s: the %s elected on %s: %v", e.Branch.Name, e.Post.Role, e.Post.TermStart, ErrPostLeftOut)
}

// Unwrap returns ErrPostLeftOut.
func (e *OmittedPostError) Unwrap() error { return ErrPostLeftOut }

// ElectInput is an election (换届选举): who was elected to what, and when.
type ElectInput struct {
	// BranchID is the branch.
	BranchID uuid.UUID
	// On is the day of the election: the posts held then end, and the new
	// ones begin.
	On cadre.Date
	// Holders are the cadres elected, by post; a secretary is required.
	Holders map[branch.Role]uuid.UUID
}

// Election is what Elect recorded.
type Election struct {
	// Branch is the branch.
	Branch branch.Branch
	// On is the day of the election.
	On cadre.Date
	// Ended are the posts that end on On.
	Ended []PostView
	// Elected are the posts that begin on On, in committee order.
	Elected []PostView
	// Changed is false when the election was recorded already, exactly so.
	Changed bool
}

// Elect records an election: the posts held on the day end and the new
// ones begin, in one transaction that also reads the posts it ends, so
// that two elections entered at once cannot both end the same posts. A
// post that began that very day cannot end that day: it is the same
// election entered again, so its holder is corrected in place, and a list
// that leaves such a post out is refused with an *OmittedPostError.
func Elect(ctx context.Context, r *store.Replica, in ElectInput) (Election, error) {
	out, err := elect(ctx, r, in)
	if err != nil {
		return Election{}, fmt.Errorf("elect the committee of branch %s on %s: %w", in.BranchID, in.On, err)
	}
	return out, nil
}

func elect(ctx context.Context, r *store.Replica, in ElectInput) (Election, error) {
	if in.Holders[branch.RoleSecretary] == uuid.Nil {
		return Election{}, ErrNoSecretary
	}
	b, err := r.Branch(ctx, in.BranchID)
	if err != nil {
		return Election{}, err
	}
	var holders []uuid.UUID
	for _, id := range in.Holders {
		holders = append(holders, id)
	}
	ppl, err := peopleHeld(ctx, r, holders...)
	if err != nil {
		return Election{}, err
	}
	on := in.On
	var out Election
	err = r.Update(ctx, func(tx *store.Tx) error {
		out = Election{Branch: b, On: on, Ended: []PostView{}, Elected: []PostView{}}
		posts, err := tx.Posts(b.ID)
		if err != nil {
			return err
		}
		var ending, newPosts []branch.Post
		sameDay := map[branch.Role]branch.Post{}
		for _, p := range posts {
			switch {
			case !p.Current(on):
			case p.TermStart == on:
				if in.Holders[p.Role] == uuid.Nil {
					return &OmittedPostError{Branch: b, Post: p, Holder: ppl.ref(p.CadreID)}
				}
				sameDay[p.Role] = p
			default:
				p.EndedOn = on
				ending = append(ending, p)
			}
		}
		for role, id := range in.Holders {
			if id == uuid.Nil {
				continue
			}
			p, again := sameDay[role]
			if !again {
				p = branch.Post{BranchID: b.ID, Role: role, TermStart: on}
			}
			p.CadreID = id
			newPosts = append(newPosts, p)
		}
		slices.SortFunc(newPosts, func(x, y branch.Post) int { return cmp.Compare(roleOrder(x.Role), roleOrder(y.Role)) })
		all := append(slices.Clone(ending), newPosts...)
		for i := range all {
			changed, err := tx.PutPost(&all[i])
			if err != nil {
				return err
			}
			out.Changed = out.Changed || changed
			v := PostView{Post: all[i], Holder: ppl.ref(all[i].CadreID)}
			if i < len(ending) {
				out.Ended = append(out.Ended, v)
			} else {
				out.Elected = append(out.Elected, v)
			}
		}
		return nil
	})
	return out, err
}
